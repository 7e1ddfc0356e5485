"""One module per `newsmon` subcommand, each with register(subparsers)."""
