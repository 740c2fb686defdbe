"""``python -m routes``: the same as the ``routes`` command."""

from routes._entry import run

if __name__ == "__main__":
    run()
