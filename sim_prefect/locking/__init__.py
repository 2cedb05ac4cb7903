"""Locks on transaction keys (``prefect.locking``): what ``IsolationLevel.SERIALIZABLE`` holds.

`memory.MemoryLockManager` keeps one process's locks in memory; `protocol.LockManager`
says what a lock manager does. Prefect's ``FileSystemLockManager``
(``prefect.locking.filesystem``), for locks shared between processes, is refused
(aliases.py): there is one process here, and no disk in the page.
"""
