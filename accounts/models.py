from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The Django group whose members are council officers.
OFFICERS_GROUP = "Council officers"


class UserManager(DjangoUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        # Addresses are compared without case: "Jo@Example.org" is "jo@example.org".
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra_fields)

    def officers(self):
        return self.filter(groups__name=OFFICERS_GROUP, is_active=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address.

    Roles: a council officer is in the "Council officers" group; a group member has a
    Membership of an organisation; an admin is staff or superuser.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can sign in to the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person follows the link in their confirmation email.
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    # When the person ticked "I agree" to the privacy notice on the sign-up form. Empty for
    # accounts made in the admin or by a command, whose holders never saw that form.
    privacy_agreed_at = models.DateTimeField(
        _("agreed to the privacy notice at"), null=True, blank=True
    )

    objects = UserManager()
    # Who gave whom which role, and when. The password hash and the time of the last
    # sign-in are never copied into history.
    history = HistoricalRecords(
        excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"]
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def confirm_email(self):
        """The person followed a link sent to their address: it is theirs."""
        if self.email_confirmed_at is None:
            self.email_confirmed_at = timezone.now()
            self.save(update_fields=["email_confirmed_at"])

    @cached_property
    def is_officer(self):
        if not self.is_active:
            return False
        return self.is_superuser or self.groups.filter(name=OFFICERS_GROUP).exists()
