"""Sync through a shared folder that another program carries between computers.

Each computer writes only change files of its own into the folder (``folder``) and reads every
other's; a change is one version of one row, and the merge of versions
(``companion.row_versions``, put in the diary by ``companion.store.sync``) is the same
whatever the order they are read in. ``engine`` runs one sync over an open diary; ``words``
says what it did.
"""
