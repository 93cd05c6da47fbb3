from django.urls import path

from apps.messaging import views

app_name = "messaging"

urlpatterns = [
    path("messages/", views.conversation_list, name="list"),
    path("messages/<int:conversation_id>/", views.conversation, name="conversation"),
    path("messages/<int:conversation_id>/send/", views.send, name="send"),
    path("messages/m/<int:message_id>/edit/", views.edit, name="edit"),
    path("messages/m/<int:message_id>/delete/", views.delete, name="delete"),
    path("messages/m/<int:message_id>/image/", views.image, name="image"),
    path("r/<int:residence_id>/room/", views.room, name="room"),
    path(
        "r/<int:residence_id>/members/<int:user_id>/message/",
        views.start_direct,
        name="start_direct",
    ),
]
