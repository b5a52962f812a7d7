/// The Doppler module: reads secrets from Doppler (the platform's source of truth) over its REST API.
public enum Doppler {}
