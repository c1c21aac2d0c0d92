"""The settings a sync keeps in the diary: when it last ran, and the folder it used.

Apart from ``companion.store.sync`` so that the dashboard, which shows the first, does not
load the sync's code to read it.
"""

LAST_SYNC_KEY = "sync.last"
FOLDER_KEY = "sync.folder"
