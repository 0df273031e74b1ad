from lightshow.cli import main

main()
