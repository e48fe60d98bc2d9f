/* An outside program: links the installed libmlcore, fits a scaler through
 * the registry and prints the version. */
#include <mlcore/mlcore.h>
#include <stdio.h>

int main(void)
{
    double data[6] = {1, 2, 3, 4, 5, 6};
    mlc_matrix X = mlc_matrix_wrap(data, 3, 2, 0);
    mlc_estimator *e = NULL;
    if (mlc_estimator_new("standard_scaler", &e) || mlc_estimator_fit(e, &X, NULL)) {
        fprintf(stderr, "error: %s\n", mlc_last_error_message());
        return 1;
    }
    double out[6];
    mlc_matrix O = mlc_matrix_wrap(out, 3, 2, 0);
    int st = mlc_estimator_transform(e, &X, &O);
    mlc_estimator_free(e);
    if (st || out[0] >= 0 || out[4] <= 0)
        return 1;
    printf("mlcore %s ok\n", mlc_version());
    return 0;
}
