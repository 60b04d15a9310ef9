import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Creating the admin persona hashes a password for every one of the many tests
    here; a fast hasher keeps the run short. Sign-in itself is tested elsewhere."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
