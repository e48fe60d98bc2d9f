/* Ends a width of the scans' templates (svm_lanes_on.h). */
#undef SV_D
#undef SV_L
#undef SV_Q
#undef SV_U
#undef SV_C
#undef SV_F
#undef SV
#undef SV_SPLAT
#undef SV_NO_POSITIONS
#undef SV_FIRST_POSITIONS
#undef SV_PICK
#undef SV_PICK_INDEX
#undef SV_NONZERO_BYTES
