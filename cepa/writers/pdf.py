"""The report as a PDF, through LibreOffice, with the page numbers in its contents.

LibreOffice (``soffice``) runs headless with a private, temporary user profile holding one
small Basic macro. The macro opens the .docx, exports the PDF and then reads, from the
layout it just printed, on which page each bookmark stands. The report's headings carry
the bookmarks its contents refer to (``cepa.writers.docx.TOC_BOOKMARK``), so: a first run gives
the page of every heading, ``cepa.writers.docx.number_contents`` writes those numbers into the
contents of the .docx, and a second run exports that .docx and checks that every heading
stayed on the page its contents now give. The PDF is LibreOffice's rendering of exactly
the .docx cepa writes beside it, and both show the same page numbers; the contents stay a
TOC field that Word or LibreOffice can update.

Nothing here prints; problems are raised as ``PdfError`` in words for the user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

Progress = Callable[[str, int, int], None]

#: The environment variable naming the LibreOffice program, when it is not ``soffice`` on
#: the PATH (or to test what happens without it).
SOFFICE_ENV = "CEPA_SOFFICE"

#: Where the LibreOffice installers put the program, for machines where it is not on PATH.
_KNOWN_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)

INSTALL_HINT = ("install LibreOffice: on Debian or Ubuntu 'sudo apt-get install "
                "libreoffice-writer' (or libreoffice-writer-nogui on a server), elsewhere "
                "from https://www.libreoffice.org/download/ - or set CEPA_SOFFICE to its "
                "soffice program")

#: Seconds one LibreOffice run may take before it is stopped. A run (there are two) takes
#: about 1.5 s for the shipped report (18 pages), 5 s for 1,000 records (166 pages) and
#: 140 s for 10,000 records (1,500 pages).
TIMEOUT = 600.0

#: LibreOffice runs at most this many times: the first finds the pages, the second shows
#: them and confirms them; a third or fourth only when writing the numbers moved a heading
#: (a contents that grows onto another page).
MAX_RUNS = 4

class PdfError(Exception):
    """No PDF can be made: LibreOffice is missing, failed or took too long."""


@dataclass(frozen=True)
class Layout:
    """What one LibreOffice run made: the PDF, its number of pages, and the page of each
    bookmark in it."""

    pdf: bytes
    pages: int
    bookmarks: dict[str, int]


@dataclass(frozen=True)
class Pdf:
    """The PDF and the .docx it was made from, whose contents show the same page numbers."""

    pdf: bytes
    docx: bytes
    pages: int


def find_soffice() -> Path:
    """The LibreOffice program: $CEPA_SOFFICE, else ``soffice`` (or ``libreoffice``) on
    the PATH, else where the installers put it. Raises ``PdfError`` saying how to install
    it."""
    named = os.environ.get(SOFFICE_ENV)
    if named:
        found = shutil.which(named)
        if found is None:
            raise PdfError(f"{SOFFICE_ENV} names {named}, which is not a program that can "
                           f"be run; {INSTALL_HINT}")
        return Path(found)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for place in _KNOWN_PLACES:
        if Path(place).is_file():
            return Path(place)
    raise PdfError(f"writing a PDF needs LibreOffice, and it was not found; {INSTALL_HINT}")


def report_pdf(docx: bytes, *, soffice: Path | None = None, timeout: float = TIMEOUT,
               progress: Progress | None = None) -> Pdf:
    """The report's PDF, and its .docx with the contents' page numbers filled in.

    ``docx`` is a report from ``cepa.writers.docx.write``; a .docx without its bookmarks
    is converted as it is."""
    from cepa.writers.docx import TOC_BOOKMARK, number_contents

    program = soffice or find_soffice()
    with tempfile.TemporaryDirectory(prefix="cepa-pdf-", ignore_cleanup_errors=True) as tmp:
        office = _Office(program, Path(tmp), timeout)
        current, used = docx, None
        for run in range(MAX_RUNS):
            if progress:
                progress("PDF", min(run, 1), 2)
            layout = office.run(current)
            pages = {k: v for k, v in layout.bookmarks.items() if k.startswith(TOC_BOOKMARK)}
            if pages == used or not pages:  # the contents show the pages of this layout
                return Pdf(layout.pdf, current, layout.pages)
            used = pages
            current = number_contents(docx, pages)
    raise PdfError("the contents' page numbers kept moving while the PDF was laid out; "
                   "please report this, with the report's .docx")


class _Office:
    """Runs LibreOffice on a .docx with a private profile in ``folder``."""

    def __init__(self, program: Path, folder: Path, timeout: float) -> None:
        self.program = program
        self.folder = folder
        self.timeout = timeout
        self.profile = folder / "profile"
        self.runs = 0

    def run(self, docx: bytes) -> Layout:
        self.runs += 1
        source = self.folder / f"report-{self.runs}.docx"
        source.write_bytes(docx)
        pdf = source.with_suffix(".pdf")
        result = self.folder / f"result-{self.runs}.txt"
        _write_profile(self.profile, _macro(source.as_uri(), pdf.as_uri(), result.as_uri()))
        command = [str(self.program), "--headless", "--invisible", "--norestore",
                   "--nolockcheck", f"-env:UserInstallation={self.profile.as_uri()}",
                   "macro:///Standard.Cepa.Run"]
        code, err = _run(command, self.timeout)
        if not result.is_file():
            detail = err.strip().splitlines()[-1:] or [f"exit code {code}"]
            raise PdfError(f"LibreOffice ({self.program}) stopped without making the PDF "
                           f"({detail[0]})")
        return _parse(result.read_text(encoding="utf-8"), pdf)


def _parse(text: str, pdf: Path) -> Layout:
    lines = text.splitlines()
    if not lines or lines[0] != "ok":
        why = lines[0].split("\t", 1)[-1] if lines else "no answer"
        raise PdfError(f"LibreOffice could not lay out the report: {why}")
    bookmarks: dict[str, int] = {}
    pages = 0
    for line in lines[1:]:
        parts = line.split("\t")
        if parts[0] == "bookmark" and len(parts) == 3:
            bookmarks[parts[1]] = int(parts[2])
        elif parts[0] == "pages":
            pages = int(parts[1])
    if not pdf.is_file():
        raise PdfError("LibreOffice laid out the report but wrote no PDF")
    return Layout(pdf.read_bytes(), pages, bookmarks)


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Run LibreOffice in its own process group, so that a timeout stops all of it."""
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=posix)
    except OSError as e:
        raise PdfError(f"cannot run LibreOffice ({command[0]}): {e.strerror or e}; "
                       f"{INSTALL_HINT}") from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if posix:
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.communicate()
        raise PdfError(f"LibreOffice took longer than {timeout:.0f} seconds to make the PDF "
                       "and was stopped") from None
    return proc.returncode, err.decode(sys.getfilesystemencoding(), "replace")


# --- the macro and the profile that holds it ----------------------------------------------


def _basic_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _macro(docx_url: str, pdf_url: str, result_url: str) -> str:
    """The Basic macro: open the .docx hidden, export the PDF, then write the number of
    pages and the page of every bookmark to the result file, and quit LibreOffice. The
    pages are read after the export, which lays out every page (charts included); read
    before it, a hidden document's later pages can still be on the move. Any error goes
    to the result file too."""
    return f"""REM cepa: the PDF, and the page of each bookmark in it
Sub Run
    On Error GoTo Failed
    Dim aLoad(0) As New com.sun.star.beans.PropertyValue
    aLoad(0).Name = "Hidden"
    aLoad(0).Value = True
    oDoc = StarDesktop.loadComponentFromURL({_basic_string(docx_url)}, "_blank", 0, aLoad())
    Dim aFilter(0) As New com.sun.star.beans.PropertyValue
    aFilter(0).Name = "UseTaggedPDF"
    aFilter(0).Value = True
    Dim aStore(1) As New com.sun.star.beans.PropertyValue
    aStore(0).Name = "FilterName"
    aStore(0).Value = "writer_pdf_Export"
    aStore(1).Name = "FilterData"
    aStore(1).Value = aFilter()
    oDoc.storeToURL({_basic_string(pdf_url)}, aStore())
    oCursor = oDoc.getCurrentController().getViewCursor()
    oMarks = oDoc.getBookmarks()
    sOut = "ok" & Chr(10)
    For Each sName In oMarks.getElementNames()
        oCursor.gotoRange(oMarks.getByName(sName).getAnchor().getStart(), False)
        sOut = sOut & "bookmark" & Chr(9) & sName & Chr(9) & oCursor.getPage() & Chr(10)
    Next sName
    oCursor.jumpToLastPage()
    sOut = sOut & "pages" & Chr(9) & oCursor.getPage() & Chr(10)
    oDoc.close(True)
    Answer(sOut)
    StarDesktop.terminate()
    Exit Sub
Failed:
    Answer("error" & Chr(9) & Error$ & " (" & Err & ")" & Chr(10))
    StarDesktop.terminate()
End Sub

Sub Answer(sText As String)
    oFiles = CreateUnoService("com.sun.star.ucb.SimpleFileAccess")
    oStream = CreateUnoService("com.sun.star.io.TextOutputStream")
    oStream.setOutputStream(oFiles.openFileWrite({_basic_string(result_url)}))
    oStream.setEncoding("UTF-8")
    oStream.writeString(sText)
    oStream.closeOutput()
End Sub
"""


_DTD = '<!DOCTYPE library:{0} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{1}">'
_LIBRARIES = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _DTD.format("libraries",
              "libraries.dtd") + '\n<library:libraries xmlns:library="http://openoffice.org/'
              '2000/library" xmlns:xlink="http://www.w3.org/1999/xlink"><library:library '
              'library:name="Standard" library:link="false"/></library:libraries>\n')
_LIBRARY = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _DTD.format("library", "library.dtd")
            + '\n<library:library xmlns:library="http://openoffice.org/2000/library" '
            'library:name="Standard" library:readonly="false" '
            'library:passwordprotected="false">{0}</library:library>\n')
_MODULE = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
           '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n<script:module '
           'xmlns:script="http://openoffice.org/2000/script" script:name="Cepa" '
           'script:language="StarBasic">{0}</script:module>\n')
#: Marks the profile as set up, so that LibreOffice does not copy its presets over the
#: macro library on the first start.
_SETTINGS = ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice'
             '.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi='
             '"http://www.w3.org/2001/XMLSchema-instance"><item oor:path="/org.openoffice.'
             'Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true'
             '</value></prop></item></oor:items>\n')


def _write_profile(profile: Path, macro: str) -> None:
    """A LibreOffice user profile whose Standard library holds the macro as module Cepa."""
    basic = profile / "user" / "basic"
    (basic / "Standard").mkdir(parents=True, exist_ok=True)
    settings = profile / "user" / "registrymodifications.xcu"
    if not settings.exists():  # LibreOffice keeps its own settings there after a run
        settings.write_text(_SETTINGS, encoding="utf-8")
    (basic / "script.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (basic / "dialog.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(
        _LIBRARY.format('<library:element library:name="Cepa"/>'), encoding="utf-8")
    (basic / "Standard" / "dialog.xlb").write_text(_LIBRARY.format(""), encoding="utf-8")
    (basic / "Standard" / "Cepa.xba").write_text(
        _MODULE.format(escape(macro, {'"': "&quot;"})), encoding="utf-8")
