from django.urls import path

from tasks import credits_views, jobs_views, views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.lookup, name="lookup"),
    path("tasks/history/", views.history, name="history"),
    path("tasks/<uuid:lookup_id>/", views.results, name="results"),
    path("tasks/<uuid:lookup_id>/name/", views.rename, name="rename"),
    path("tasks/<uuid:lookup_id>/export.csv", views.export_csv, name="export_csv"),
    path("tasks/<uuid:lookup_id>/export.json", views.export_json, name="export_json"),
    path("tasks/<uuid:lookup_id>/images.txt", views.export_image_urls, name="export_images"),
    # A v2 key's own jobs, as Apiframe lists them (tasks/jobs_views.py).
    path("tasks/jobs/", jobs_views.jobs, name="jobs"),
    path("tasks/jobs/look-up/", jobs_views.look_up, name="jobs_look_up"),
    path("tasks/jobs/<uuid:job_id>/", jobs_views.job, name="job"),
    path("tasks/key-account/", credits_views.key_account, name="key_account"),
]
