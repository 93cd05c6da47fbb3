from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import actions
from apps.accounts.forms import ApiTokenForm, ProfileForm, SettingsForm
from apps.accounts.http import AuthenticatedRequest


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update_profile(
            request.user, **{name: form.cleaned_data[name] for name in actions.PROFILE_FIELDS}
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update_settings(
            request.user, **{name: form.cleaned_data[name] for name in actions.SETTINGS_FIELDS}
        )
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "token_form": ApiTokenForm(),
            "tokens": list(request.user.api_tokens.order_by("-created_at")),
        },
    )


@login_required
@require_POST
def create_token(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name."))
        return redirect("accounts:settings")
    _token, raw = actions.create_api_token(request.user, name=form.cleaned_data["name"])
    return render(request, "accounts/token_created.html", {"raw": raw})


@login_required
@require_POST
def revoke_token(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    if actions.revoke_api_token(request.user, token_id):
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:settings")
