"""Thin views: parse input → access helper → action → render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.flash import attempt
from apps.residences import access, actions, panels, qr, selectors
from apps.residences.forms import AccreditationForm, JoinForm, ResidenceForm
from apps.residences.models import Landlord, Membership, Residence


@login_required
def home(request: HttpRequest) -> HttpResponse:
    mine = access.visible_residences(request.user)
    counts = selectors.member_counts([a.residence.pk for a in mine])
    return render(
        request,
        "residences/home.html",
        {
            "residences": [(a, counts.get(a.residence.pk, 0)) for a in mine],
            "pending": list(selectors.my_pending_requests(request.user)),
        },
    )


@login_required
def residence_page(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_residence(request.user, residence_id)
    return render(
        request,
        "residences/residence.html",
        {
            "here": here,
            "residence": here.residence,
            "co_animators": list(selectors.co_animators(here.residence)),
            "panels": panels.residence_panels(here, request.user),
            "member_count": selectors.active_members(here.residence).count(),
            "pending_count": selectors.pending_requests(here.residence).count()
            if here.can_moderate
            else 0,
        },
    )


@login_required
def members(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_members(request.user, residence_id)
    return render(
        request,
        "residences/members.html",
        {
            "here": here,
            "residence": here.residence,
            "members": list(selectors.active_members(here.residence)),
        },
    )


@login_required
def member(request: HttpRequest, residence_id: int, user_id: int) -> HttpResponse:
    """A member's profile in the residence: who they are, what they offer, the services they
    gave and received and the thanks they got (the features add their panels)."""
    here, membership = access.access_member_profile(request.user, residence_id, user_id)
    return render(
        request,
        "residences/member.html",
        {
            "here": here,
            "residence": here.residence,
            "m": membership,
            "panels": panels.profile_panels(here, request.user, membership),
        },
    )


@login_required
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            membership = actions.request_join(
                request.user,
                form.cleaned_data["code"],
                charter_accepted=form.cleaned_data["charter"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error("code" if error.code != "charter_required" else "charter", error)
        else:
            messages.success(
                request,
                _(
                    "Your request to join %(residence)s has been sent. "
                    "A co-animator will approve it soon."
                )
                % {"residence": membership.residence.name},
            )
            return redirect("home")
    return render(request, "residences/join.html", {"form": form})


def charter(request: HttpRequest) -> HttpResponse:
    """The charter: the platform's default, or, with the invitation code of a residence (the
    join form links here with it), the version that residence's members accept."""
    code = actions.normalise_code(request.GET.get("code", ""))
    residence = (
        Residence.objects.select_related("landlord").filter(invitation_code=code).first()
        if code
        else None
    )
    return render(
        request,
        "residences/charter.html",
        {
            "charter_residence": residence,
            "text": selectors.charter_text(residence) if residence is not None else "",
        },
    )


@login_required
def join_requests(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_moderation(request.user, residence_id)
    return render(
        request,
        "residences/requests.html",
        {
            "here": here,
            "residence": here.residence,
            "requests": list(selectors.pending_requests(here.residence)),
        },
    )


# decision → (action, message once done); the URLconf passes the decision.
REQUEST_DECISIONS = {
    "approve": (actions.approve_join, gettext_lazy("%(name)s is now a member.")),
    "decline": (actions.decline_join, gettext_lazy("The request of %(name)s was declined.")),
}
ROLE_DECISIONS = {
    "appoint": (actions.appoint_co_animator, gettext_lazy("%(name)s is now a co-animator.")),
    "revoke": (actions.revoke_co_animator, gettext_lazy("%(name)s is no longer a co-animator.")),
}


def _decide(
    request: HttpRequest, membership: Membership, decision: tuple[Any, Any], back_to: str
) -> HttpResponse:
    action, message = decision
    attempt(
        request,
        lambda: action(request.user, membership),
        str(message) % {"name": membership.user.display_name},
    )
    return redirect(back_to, membership.residence_id)


@login_required
@require_POST
def decide_request(request: HttpRequest, membership_id: int, decision: str) -> HttpResponse:
    _here, membership = access.access_join_request(request.user, membership_id)
    return _decide(request, membership, REQUEST_DECISIONS[decision], "residences:requests")


@login_required
def invitation(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_moderation(request.user, residence_id)
    if request.method == "POST":
        attempt(
            request,
            lambda: actions.regenerate_code(request.user, here.residence),
            _("A new code was created. The old one no longer works."),
        )
        return redirect("residences:invitation", residence_id)
    join_url = request.build_absolute_uri(
        reverse("residences:join") + f"?code={here.residence.invitation_code}"
    )
    return render(
        request,
        "residences/invitation.html",
        {
            "here": here,
            "residence": here.residence,
            "join_url": join_url,
            "qr_svg": qr.svg(join_url),
        },
    )


@login_required
def co_animators(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_staff(request.user, residence_id)
    return render(
        request,
        "residences/co_animators.html",
        {
            "here": here,
            "residence": here.residence,
            "members": list(selectors.active_members(here.residence)),
        },
    )


@login_required
@require_POST
def set_co_animator(request: HttpRequest, membership_id: int, decision: str) -> HttpResponse:
    _here, membership = access.access_member(request.user, membership_id)
    return _decide(request, membership, ROLE_DECISIONS[decision], "residences:co_animators")


@login_required
def partners(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_staff(request.user, residence_id)
    form = AccreditationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        attempt(
            request,
            lambda: actions.accredit_partner(request.user, here.residence, organisation),
            _("%(name)s may now publish in this residence.") % {"name": organisation.name},
        )
        return redirect("residences:partners", residence_id)
    return render(
        request,
        "residences/partners.html",
        {
            "here": here,
            "residence": here.residence,
            "form": form,
            "accreditations": list(selectors.accreditations(here.residence)),
        },
    )


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    landlord_ids = access.staff_landlord_ids(request.user)
    if not landlord_ids:
        return render(request, "residences/staff_none.html", status=403)
    return render(
        request,
        "residences/staff.html",
        {
            "landlords": list(Landlord.objects.filter(pk__in=landlord_ids).order_by("name")),
            "residences": list(selectors.landlord_residences(landlord_ids)),
        },
    )


@login_required
def create_residence(request: HttpRequest, landlord_id: int) -> HttpResponse:
    landlord = get_object_or_404(Landlord, pk=access.access_landlord(request.user, landlord_id))
    form = ResidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            residence = actions.create_residence(
                request.user,
                landlord,
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
                postcode=form.cleaned_data["postcode"],
                city=form.cleaned_data["city"],
                entrances=form.entrance_names(),
                dwellings=form.cleaned_data["dwellings"],
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": residence.name})
            return redirect("residences:detail", residence.pk)
    return render(request, "residences/residence_form.html", {"form": form, "landlord": landlord})
