from django.urls import path

from apps.events import views

app_name = "events"

urlpatterns = [
    path("r/<int:residence_id>/feed/new-event/", views.new_event, name="new"),
    path("posts/<int:post_id>/rsvp/", views.rsvp, name="rsvp"),
    path("posts/<int:post_id>/cancel-event/", views.cancel, name="cancel"),
    path("posts/<int:post_id>/event.ics", views.event_ics, name="ics"),
    path("me/calendar/", views.calendar_page, name="calendar"),
    path("me/calendar/renew/", views.calendar_renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
