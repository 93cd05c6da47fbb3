from django.urls import path

from apps.moderation import views

app_name = "moderation"

urlpatterns = [
    path("report/<slug:target_type>/<int:target_id>/", views.report, name="report"),
    path("moderate/<slug:target_type>/<int:target_id>/", views.open_case, name="open_case"),
    path("r/<int:residence_id>/moderation/", views.queue, name="queue"),
    path("r/<int:residence_id>/moderation/log/", views.log, name="log"),
    path("r/<int:residence_id>/moderation/settings/", views.settings_page, name="settings"),
    path("r/<int:residence_id>/moderation/mine/", views.mine, name="mine"),
    path("r/<int:residence_id>/charter/", views.charter, name="charter"),
    path(
        "r/<int:residence_id>/members/<int:user_id>/moderate/",
        views.moderate_member,
        name="moderate_member",
    ),
    path("moderation/cases/<int:case_id>/", views.case, name="case"),
    path("moderation/decisions/<int:decision_id>/", views.decision, name="decision"),
    path("moderation/decisions/<int:decision_id>/agree/", views.agree, name="agree"),
    path("moderation/decisions/<int:decision_id>/decline/", views.decline, name="decline"),
    path("moderation/decisions/<int:decision_id>/appeal/", views.appeal, name="appeal"),
    path("moderation/appeals/<int:appeal_id>/review/", views.review_appeal, name="review_appeal"),
]
