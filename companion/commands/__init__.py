"""The subcommands of ``companion``, one module per group."""
