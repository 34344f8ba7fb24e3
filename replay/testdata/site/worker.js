postMessage("loc:" + location.href);
fetch("LIVE/api.json").then(function (r) { return r.json(); }).then(function (j) { postMessage("api:" + j.answer); }).catch(function (e) { postMessage("err:" + e); });
