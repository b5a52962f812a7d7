print("sprocketctl")
