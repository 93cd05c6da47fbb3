from django.urls import path

from apps.rooms import views

app_name = "rooms"

urlpatterns = [
    path("r/<int:residence_id>/rooms/", views.index, name="index"),
    path("r/<int:residence_id>/rooms/new/", views.new_room, name="new"),
    path("r/<int:residence_id>/rooms/requests/", views.requests, name="requests"),
    path("rooms/<int:room_id>/edit/", views.edit_room, name="edit"),
    path("room-bookings/<int:booking_id>/approve/", views.approve, name="approve"),
    path("room-bookings/<int:booking_id>/decline/", views.decline, name="decline"),
    path("room-bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("room-bookings/<int:booking_id>/make-event/", views.make_event, name="make_event"),
]
