from django.urls import path

from apps.seniors import views

app_name = "seniors"

urlpatterns = [
    path("r/<int:residence_id>/help/", views.help_list, name="list"),
    path("r/<int:residence_id>/help/new/", views.new, name="new"),
    path("r/<int:residence_id>/help/on-behalf/", views.on_behalf, name="on_behalf"),
    path("r/<int:residence_id>/help/volunteer/", views.volunteer, name="volunteer"),
    path("r/<int:residence_id>/help/waiting/", views.waiting, name="waiting"),
    path("r/<int:residence_id>/help/checkin/", views.checkin_plan, name="checkin_plan"),
    path("r/<int:residence_id>/help/aidants/", views.aidants, name="aidants"),
    path("r/<int:residence_id>/help/heatwave/start/", views.heatwave_start, name="heatwave_start"),
    path("r/<int:residence_id>/help/heatwave/stop/", views.heatwave_stop, name="heatwave_stop"),
    path(
        "r/<int:residence_id>/help/heatwave/register/",
        views.heatwave_register,
        name="heatwave_register",
    ),
    path("r/<int:residence_id>/help/heatwave/leave/", views.heatwave_leave, name="heatwave_leave"),
    path("r/<int:residence_id>/help/heatwave/calls/", views.heatwave_calls, name="heatwave_calls"),
    path("heatwave-calls/<int:call_id>/", views.heatwave_call, name="heatwave_call"),
    path("checkin/", views.checkin, name="checkin"),
    path("help/<int:help_request_id>/", views.detail, name="detail"),
    path("help/<int:help_request_id>/take/", views.take, name="take"),
    path("help/<int:help_request_id>/complete/", views.complete, name="complete"),
    path("help/<int:help_request_id>/cancel/", views.cancel, name="cancel"),
    path("help/<int:help_request_id>/thanks/", views.thanks, name="thanks"),
    path("help/<int:help_request_id>/assign/", views.assign, name="assign"),
    path("help/<int:help_request_id>/regular/", views.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/done/", views.visit_done, name="visit_done"),
    path("visits/<int:visit_id>/stop/", views.visit_stop, name="visit_stop"),
    path("aidants/<int:consent_id>/revoke/", views.aidant_revoke, name="aidant_revoke"),
]
