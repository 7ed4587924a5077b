//! libtorch is linked and computes: a small tensor computation through tch.

#[test]
fn libtorch_computes() {
    arc_solver::guide::one_thread();
    let x = tch::Tensor::from_slice(&[1.0f32, 2.0, 3.0, 4.0]).reshape([2, 2]);
    let y = x.matmul(&x).sum(tch::Kind::Float);
    assert_eq!(y.double_value(&[]), 54.0);
}
