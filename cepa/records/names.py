"""Common given names in the partners' languages and alphabets: what tells a person's name
('JOHN SMITH', 'Smith, Jane') from an organisation's ('SAVE THE CHILDREN') where the
shape of the words alone cannot. Compared without case; a name missing here is still found
by shape where it is written as names are (two or three capitalised words)."""

from __future__ import annotations

_LIST = """
john james robert michael william david richard joseph thomas charles christopher daniel
matthew anthony mark paul steven andrew kenneth joshua kevin brian george timothy ronald
edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott
brandon benjamin samuel frank gregory raymond alexander patrick jack dennis jerry tyler
aaron henry adam peter nathan zachary kyle noah ethan jeremy harry oliver charlie tom
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda
pamela nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth
maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan
evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria ann teresa
kathryn sara janice jean alice madison doris abigail julia judy grace denise amber
marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte
rose alexis kayla jane lucy sophie chloe jessica amelia ella mia
jan pieter johannes cornelis hendrik willem jacobus gerrit dirk klaas hans sander bram
daan sem lars thijs ruben stijn jeroen bas niels joost maarten wouter koen tim rik
anne anna maria johanna cornelia elisabeth hendrika wilhelmina geertje sanne lotte lieke
femke iris eva fleur noor julia sophie tess lisa emma fenna roos anouk marieke ingrid
mart jaan juhan tõnu toomas rein priit peeter andres margus indrek tarmo kalle urmas
aivar siim rasmus kristjan karl kaspar martin oliver robin sander mihkel
kärt kadri kati katrin mari maarja liis triin tiina anu kristiina piret pille reet
sirje helle ene ly eha ülle merike kersti külli laura liisa grete hanna
jānis andris juris mārtiņš edgars aivars kārlis roberts artūrs raivis valdis ivars
anna ilze inese kristīne līga ieva dace laura sandra zane anita baiba agnese
jonas tomas mantas lukas darius paulius andrius vytautas antanas juozas kęstutis
rūta ona jurgita asta daiva laima aušra ieva greta gabija kotryna eglė
hans peter klaus jürgen wolfgang michael thomas andreas stefan frank uwe markus
ursula monika petra sabine claudia susanne andrea birgit gabriele katrin julia lena
mikko juha matti timo jari kari antti jukka pekka heikki ville
tuula anne päivi sari marja leena tiina minna kaisa johanna
giuseppe giovanni antonio mario luigi francesco marco andrea paolo stefano luca
giulia francesca chiara sara anna laura valentina federica elena alessia
josé juan luis carlos jorge javier manuel antonio pablo miguel alejandro
carmen josefa isabel ana lucía marta paula laura elena cristina
jean pierre michel philippe alain nicolas françois éric pascal patrick
marie nathalie isabelle sylvie catherine françoise martine christine sophie julie
piotr krzysztof andrzej tomasz paweł marcin michał łukasz jakub adam mateusz
anna maria katarzyna małgorzata agnieszka barbara ewa joanna magdalena zofia
ivan petar georgi dimitar nikolay stoyan todor hristo
мария иван петър георги димитър николай елена анна
γιώργος γιάννης κώστας δημήτρης νίκος παναγιώτης βασίλης χρήστος
μαρία ελένη αικατερίνη βασιλική σοφία αγγελική γεωργία δήμητρα
giorgos giannis kostas dimitris nikos panagiotis vasilis christos
eleni aikaterini vasiliki sofia angeliki georgia dimitra
"""
GIVEN_NAMES = frozenset(_LIST.split())


def given_name(word: str) -> bool:
    return word.strip(".,'’()").casefold() in GIVEN_NAMES
