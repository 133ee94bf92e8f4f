from cepa.cli import main

main()
