// A C++ program using the C API through the umbrella header: it must compile
// as C++ and link against the C library (extern "C" in every header).
#include <mlcore/mlcore.h>

#include <cstdio>
#include <cstring>

static int fail(const char *what)
{
    std::fprintf(stderr, "%s: %s\n", what, mlc_last_error_message());
    return 1;
}

int main()
{
    if (std::strcmp(mlc_version(), MLC_VERSION_STRING) != 0 ||
        mlc_version_number() != MLC_VERSION_NUMBER)
        return fail("mlc_version / mlc_version_number");

    mlc_dataset iris;
    std::memset(&iris, 0, sizeof iris);
    if (mlc_load_bundled("iris", &iris) != MLC_OK)
        return fail("mlc_load_bundled");

    mlc_estimator *e = NULL;
    int st = mlc_estimator_new("kmeans", &e);
    if (st == MLC_OK)
        st = mlc_estimator_set(e, "n_clusters", "3");
    if (st == MLC_OK)
        st = mlc_estimator_set(e, "random_state", "0");
    if (st == MLC_OK)
        st = mlc_estimator_fit(e, &iris.X, NULL);
    double score = 0.0;
    if (st == MLC_OK)
        st = mlc_estimator_score(e, &iris.X, NULL, &score);
    mlc_estimator_free(e);
    mlc_dataset_clear(&iris);
    if (st != MLC_OK)
        return fail("kmeans through the registry");
    if (!(score < 0.0))
        return fail("kmeans score (-inertia) is not negative");

    // A status and its text, and the error path, from C++.
    if (mlc_estimator_new("no_such_estimator", &e) != MLC_ENOTFOUND || e != NULL)
        return fail("mlc_estimator_new of an unknown name");
    if (std::strcmp(mlc_strerror(MLC_ENOTFOUND), "no such name") != 0)
        return fail("mlc_strerror");
    mlc_clear_error();

    std::printf("C++: mlcore %s, kmeans on iris: score %.6g\n", mlc_version(), score);
    return 0;
}
