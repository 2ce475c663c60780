from ucj_cli.cli.app import main

main()
