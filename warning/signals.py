"""Signal receivers of the warning app, connected in WarningConfig.ready()."""
