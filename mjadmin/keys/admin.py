# ApiCredential is left out of the Django admin on purpose: secrets are only ever managed by
# their owner on /settings/.
