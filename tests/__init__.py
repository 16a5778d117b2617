"""The test suite. Every folder under tests/ is a package (it has an __init__.py), so pytest imports a test module
by its full name (tests.web.kiosk.test_kiosk_views) with the checkout on sys.path, and never puts a folder under
tests/ itself on sys.path, where a folder named like a package (tests/web/kiosk, tests/printers) would shadow the
real `kiosk` or `printers`. A new test folder needs its __init__.py too (tests/system/test_layers.py checks)."""
