from ucj_cli.cli import main

main()
