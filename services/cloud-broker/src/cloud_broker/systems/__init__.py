"""What cloud-broker does when intake's system register acts on a system (K1, K3-K5)."""
