from django.urls import path

from apps.residences import views

app_name = "residences"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("charter/", views.charter, name="charter"),
    path("r/<int:residence_id>/", views.residence_page, name="detail"),
    path("r/<int:residence_id>/members/", views.members, name="members"),
    path("r/<int:residence_id>/members/<int:user_id>/", views.member, name="member"),
    path("r/<int:residence_id>/requests/", views.join_requests, name="requests"),
    path("r/<int:residence_id>/invitation/", views.invitation, name="invitation"),
    path("r/<int:residence_id>/co-animators/", views.co_animators, name="co_animators"),
    path("r/<int:residence_id>/partners/", views.partners, name="partners"),
    path(
        "requests/<int:membership_id>/approve/",
        views.decide_request,
        {"decision": "approve"},
        name="approve",
    ),
    path(
        "requests/<int:membership_id>/decline/",
        views.decide_request,
        {"decision": "decline"},
        name="decline",
    ),
    path(
        "members/<int:membership_id>/appoint/",
        views.set_co_animator,
        {"decision": "appoint"},
        name="appoint",
    ),
    path(
        "members/<int:membership_id>/revoke/",
        views.set_co_animator,
        {"decision": "revoke"},
        name="revoke",
    ),
    path("staff/", views.staff_home, name="staff"),
    path(
        "staff/landlords/<int:landlord_id>/residences/new/", views.create_residence, name="create"
    ),
]
