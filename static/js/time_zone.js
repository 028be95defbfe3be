// Tells the server this browser's time zone (cookie "tz", read by mjadmin/team/time_zones.py),
// so that teammates who have not chosen one on their profile see times in it. No reload: every
// session opens on the sign-in page or a one-time link, which sets it before a page shows a time,
// and reloading a page that answered a form would send the form again. After the zone changes
// mid-session (a laptop travelling), the next page shows it.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  // Only what a zone name holds, so the cookie cannot carry anything else.
  if (typeof zone !== "string" || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) return;
  var current = document.cookie.split("; ").filter(function (pair) {
    return pair.indexOf("tz=") === 0;
  });
  if (current.length === 1 && current[0] === "tz=" + zone) return;
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" +
    (location.protocol === "https:" ? "; Secure" : "");
})();
