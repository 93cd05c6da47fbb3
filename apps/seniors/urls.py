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
    path("checkin/", views.checkin, name="checkin"),
    path("help/<int:help_request_id>/", views.detail, name="detail"),
    path("help/<int:help_request_id>/take/", views.take, name="take"),
    path("help/<int:help_request_id>/complete/", views.complete, name="complete"),
    path("help/<int:help_request_id>/cancel/", views.cancel, name="cancel"),
    path("help/<int:help_request_id>/thanks/", views.thanks, name="thanks"),
    path("help/<int:help_request_id>/assign/", views.assign, name="assign"),
]
