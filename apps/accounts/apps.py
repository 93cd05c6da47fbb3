from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from apps.accounts import actions
    from apps.accounts.middleware import SESSION_KEY

    day = actions.record_sign_in(user)
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = day.isoformat()  # the visit is recorded: no second write


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Sign-ins happen inside django.contrib.auth.login() (called by allauth): its signal is
        # the one place to hear of them. The receiver only hands over to an action.
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_signed_in, dispatch_uid="voisinage.record_sign_in")
