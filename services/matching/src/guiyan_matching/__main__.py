from .entrypoints.app import main

main()
