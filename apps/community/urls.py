from django.urls import path

from apps.community import views

app_name = "community"

urlpatterns = [
    path("r/<int:residence_id>/feed/", views.feed_page, name="feed"),
    path("r/<int:residence_id>/feed/new/<slug:kind>/", views.new_post, name="new"),
    path("posts/<int:post_id>/", views.post_page, name="post"),
    path("posts/<int:post_id>/comment/", views.comment, name="comment"),
    path("posts/<int:post_id>/react/", views.react, name="react"),
    path("posts/<int:post_id>/delete/", views.delete, name="delete"),
    path("posts/<int:post_id>/print/", views.print_notice, name="print"),
    path("posts/<int:post_id>/images/<int:image_id>/", views.image, name="image"),
    path("posts/<int:post_id>/initiative/status/", views.initiative_status, name="status"),
    path("posts/<int:post_id>/initiative/team/", views.initiative_team, name="team"),
    path("posts/<int:post_id>/initiative/outcome/", views.initiative_outcome, name="outcome"),
]
