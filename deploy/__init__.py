"""Production recipe (see README.md). A package only so that tests can import the scale-out
check from ``deploy.scale_out_check``."""
