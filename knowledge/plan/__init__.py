"""The plan van aanpak: ``model`` (data), ``build`` (from the planner), ``text`` (chat summary)
and ``files`` (paths and downloads; import only that in channels, it pulls in no search code)."""
