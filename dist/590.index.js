export const id = 590;
export const ids = [590];
export const modules = {

/***/ 6590:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   getOctokit: () => (/* reexport safe */ _actions_github__WEBPACK_IMPORTED_MODULE_0__.Q),
/* harmony export */   shareFetchWithKy: () => (/* binding */ shareFetchWithKy)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6752);
/**
 * What a run that talks to GitHub loads, as one chunk, on first use (online.ts, pull-request.ts):
 * @actions/github, and the undici it makes its HTTP calls with (the same copy: test/e2e/bundle.test.ts).
 */



/**
 * Points the fetch globals, which ky uses for LeadConduit, at @actions/github's undici for the
 * rest of the process. Node fills those globals from a copy of undici of its own on first use, so
 * a run that talks to both services would otherwise load and compile undici twice, about a tenth
 * of a plan's CPU (bench/README.md). Call it before ky is loaded. Assigning does not load Node's
 * copy (reading the globals would).
 */
function shareFetchWithKy() {
    Object.assign(globalThis, { fetch: undici__WEBPACK_IMPORTED_MODULE_1__.fetch, Request: undici__WEBPACK_IMPORTED_MODULE_1__.Request, Response: undici__WEBPACK_IMPORTED_MODULE_1__.Response, Headers: undici__WEBPACK_IMPORTED_MODULE_1__.Headers, FormData: undici__WEBPACK_IMPORTED_MODULE_1__.FormData });
}


/***/ })

};
