from django.http import HttpRequest

from apps.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """For type checking views behind login_required: ``request.user`` is a ``User``."""

    user: User
