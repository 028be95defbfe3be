from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.lookup, name="lookup"),
    path("tasks/history/", views.history, name="history"),
    path("tasks/<uuid:lookup_id>/", views.results, name="results"),
    path("tasks/<uuid:lookup_id>/name/", views.rename, name="rename"),
    path("tasks/<uuid:lookup_id>/export.csv", views.export_csv, name="export_csv"),
    path("tasks/<uuid:lookup_id>/export.json", views.export_json, name="export_json"),
    path("tasks/<uuid:lookup_id>/images.txt", views.export_image_urls, name="export_images"),
]
