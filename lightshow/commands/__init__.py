"""One module per command: its arguments (``add_arguments``) and its ``run(args) -> int``.

Each module names itself (``NAME``) and says what it does (``HELP``); ``lightshow.cli``
lists them.  Commands wire values from their arguments into the layers below and decide
nothing of their own; heavy imports wait inside ``run`` so that ``--help`` stays quick.
"""
