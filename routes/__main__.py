"""``python -m routes`` runs the command line."""

from routes.cli import main

main()
