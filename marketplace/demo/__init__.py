"""The demo town: real Paris shops, generated catalogues and demo accounts, loaded by `flask demo`.

`town` plans it (pure, from the committed data of data/demo/ and a seed), `loading` writes it
through the CSV import services, `accounts` holds the demo accounts and `commands` the CLI.
"""
