from django.urls import path

from apps.polls import views

app_name = "polls"

urlpatterns = [
    path("r/<int:residence_id>/feed/new-poll/", views.new_poll, name="new"),
    path("posts/<int:post_id>/vote/", views.vote, name="vote"),
    path("posts/<int:post_id>/close-poll/", views.close_poll, name="close"),
]
