import x from "https://cdn.example.net/mod.js";
import {y} from './local.js';
const m = await import("/dyn.js");
var here = window.location.href, h2 = document.location;
if (location.protocol !== "https:") { window.location = "https://example.com/"; }
top.location.replace("/z");
var obj = { location: "key", other: location };
var {location: l2} = window;
function f({location}) { return location; }
const re = /location\/"/g, t = `in ${location.host} template ${`nested ${x}`} location`;
var q = a ? location : b;
label: for (;;) { break label; }
class C { location() { return this.location; } get location() { return 1; } }
var d = 4 / 2 / 1; // location in a comment
x?.location;
class D extends (C) { location = 1; static location = 2; location2() { return this.location; } }
var o = { location };
f({class: "a"}, {location});
