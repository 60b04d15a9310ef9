import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo accounts' passwords are hashed on every load; a fast hasher keeps these
    tests short. Signing in with them is tested in the browser."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def no_shared_data(monkeypatch, tmp_path):
    """As on a fresh clone: no ../shared/data beside the checkout."""
    from mapping.management.commands import _borough

    monkeypatch.setattr(_borough, "shared_data_dir", lambda: tmp_path / "absent")
