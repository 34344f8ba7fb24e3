window.appLoaded = true;
window.appHost = window.location.host;
