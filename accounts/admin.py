# The stock User admin covers adding and deactivating teammates. ApiCredential is left out
# on purpose: secrets are only ever managed by their owner on /settings/.
