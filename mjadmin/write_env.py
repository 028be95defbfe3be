"""Write a fresh .env with random keys, once. Run by `make run`; never overwrites a file.

Standard library only: it runs before the settings (which need these keys) can load.
"""

import base64
import os
import secrets
import sys
from pathlib import Path

TEMPLATE = """\
# Written by `make run` on first start. Keep it private (mode 600) and out of version control.
# Every variable is described in .env.example.
SECRET_KEY={secret_key}
# Fernet keys for API secrets at rest, newest first. To rotate: put a new key in front,
# run `python manage.py rotate_encryption_keys`, then drop the old one.
FIELD_ENCRYPTION_KEYS={fernet_key}
"""


def main(path: Path) -> int:
    content = TEMPLATE.format(
        secret_key=secrets.token_urlsafe(50),
        # The same format as cryptography's Fernet.generate_key().
        fernet_key=base64.urlsafe_b64encode(os.urandom(32)).decode(),
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        print(f"{path} exists; leaving it untouched.")
        return 0
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    print(f"Wrote {path} with a fresh SECRET_KEY and FIELD_ENCRYPTION_KEYS (mode 600).")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".env")))
