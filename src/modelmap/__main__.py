from modelmap.cli import main

main()
