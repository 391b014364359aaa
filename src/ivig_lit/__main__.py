from ivig_lit.cli import main

main()
