from gkaudit.cli import main

main()
