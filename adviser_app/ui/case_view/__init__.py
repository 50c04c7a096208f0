"""The case view: the case list, a case's tabs and the dialogs that edit a family, child, case,
note, task or statutory event."""
